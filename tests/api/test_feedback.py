"""Rating an answer from the browser: rate with a note, change it, take it back (rating null)."""

from __future__ import annotations

from tests.api.clients import Browser, error_code, register, small_tree


def test_a_rating_is_changed_and_cleared_with_its_note(api_server) -> None:
    browser = Browser(api_server)
    register(browser)
    conversation = browser.post("/api/conversations/import", json=small_tree()).json()["id"]
    question, answer = (m["id"] for m in browser.get(f"/api/conversations/{conversation}/messages").json()["messages"])

    def stored() -> dict | None:
        messages = browser.get(f"/api/conversations/{conversation}/messages").json()["messages"]
        return next(m for m in messages if m["id"] == answer)["feedback"]

    rated = browser.post(f"/api/messages/{answer}/feedback", json={"rating": "down", "note": "wrong dialect"})
    assert rated.status_code == 200 and rated.json()["feedback"]["note"] == "wrong dialect"
    # Another account can neither clear nor change it: the answer looks missing to them.
    stranger = Browser(api_server)
    register(stranger)
    for body in ({"rating": None}, {"rating": "up", "note": "x"}):
        refused = stranger.post(f"/api/messages/{answer}/feedback", json=body)
        assert refused.status_code == 404 and error_code(refused) == "not_found"
    assert (stored() or {}).get("rating") == "down" and (stored() or {}).get("note") == "wrong dialect"
    browser.post(f"/api/messages/{answer}/feedback", json={"rating": "up", "note": "wrong dialect"})
    assert (stored() or {}).get("rating") == "up" and (stored() or {}).get("note") == "wrong dialect"

    cleared = browser.post(f"/api/messages/{answer}/feedback", json={"rating": None})
    assert cleared.status_code == 200 and cleared.json()["feedback"] is None
    assert stored() is None

    # The rating stays a required field (null to clear, never left out), and questions are not rated.
    assert error_code(browser.post(f"/api/messages/{answer}/feedback", json={"note": "x"})) == "invalid_body"
    assert error_code(browser.post(f"/api/messages/{question}/feedback", json={"rating": None})) == "not_an_answer"
