"""``python -m embedded run`` (what ``make run`` calls), or ``start|stop|status [SERVICE…]``."""

from __future__ import annotations

import argparse
import sys

from embedded import launcher, mongo, ollama, process, redis

SERVICES = {
    "mongo": lambda: mongo.service(mongo.DEFAULT_PORT),
    "redis": lambda: redis.service(redis.DEFAULT_PORT),
    "ollama": lambda: ollama.service(ollama.DEFAULT_PORT),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m embedded", description=__doc__)
    parser.add_argument("command", choices=["run", "start", "stop", "status"])
    parser.add_argument("services", nargs="*", help="default: all")
    args = parser.parse_args(argv)
    if args.command == "run":
        return launcher.main()
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
            pid = process.running_pid(name)
            print(f"{name}: running (pid {pid})" if pid else f"{name}: stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
