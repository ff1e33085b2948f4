"""``python -m embedded run`` (what ``make run`` calls), ``manage COMMAND …`` (a Django management
command on the same database), or ``start|stop|status [SERVICE…]``."""

from __future__ import annotations

import argparse
import sys

from embedded import launcher, mongo, ollama, process, redis

SERVICES = {
    "mongo": lambda: mongo.service(mongo.configured_port()),
    "redis": lambda: redis.service(redis.DEFAULT_PORT),
    "ollama": lambda: ollama.service(ollama.DEFAULT_PORT),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m embedded", description=__doc__)
    parser.add_argument("command", choices=["run", "manage", "start", "stop", "status"])
    parser.add_argument("services", nargs="*", help="default: all (for manage: the Django command and its options)")
    args, rest = parser.parse_known_args(argv)
    if args.command == "run":
        return launcher.main()
    if args.command == "manage":
        return launcher.manage([*args.services, *rest])
    names = args.services or list(SERVICES)
    for name in names:
        if args.command == "start":
            pid = process.start(SERVICES[name]())
            if name == "ollama":
                ollama.ensure_model(ollama.host(ollama.DEFAULT_PORT))
            print(f"{name}: running (pid {pid}), log {process.log_file(name)}")
        elif args.command == "stop":
            print(f"{name}: {'stopped' if process.stop(name) else 'was not running'}")
        else:
            running = process.running_pid(name)
            print(f"{name}: running (pid {running})" if running else f"{name}: stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
