"""HEAD answered as the GET of the same address, without its body (RFC 9110 §9.3.2).

FastAPI registers a GET route for GET only, so monitors and link checkers that ask `HEAD /` were
told 405. The request goes on as a GET (with its access checks and audit, as the page would be
read) and only the body is dropped; the status and headers, Content-Length included, are the GET's.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the server closes the HEAD answer on the last, empty part
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        # A copy: the server keeps its own scope, which still says HEAD, and drops any body too.
        await self.app({**scope, "method": "GET"}, receive, send_without_body)
