"""Wiring the Pub/Sub emulator from the event catalogue, through its REST API.

Each subscribed service gets a push subscription to its event function, with the topic path in the
endpoint URL (functions-framework takes the CloudEvent source from it) and a dead-letter policy; the
dead-letter topic has a pull subscription so that nothing forwarded to it is dropped.
"""

from __future__ import annotations

import requests

from gemeentedelers.platform.events import CATALOGUE, DEAD_LETTER_TOPIC, MAX_DELIVERY_ATTEMPTS, subscription_id

ACK_DEADLINE_S = 30
LONG_HANDLER_S = 60
"""Locally a stuck push comes back after 30 s; a handler the catalogue gives longer (the announcement, which mails
everyone) keeps its own deadline, as deployed, so it is not pushed a second time while it works."""

DEAD_LETTER_SUBSCRIPTION = f"{DEAD_LETTER_TOPIC}--keep"


class PubSubAdmin:
    def __init__(self, host: str, project: str):
        self.base = f"http://{host}/v1/projects/{project}"
        self.project = project
        self.http = requests.Session()

    def _put(self, path: str, body: dict[str, object] | None = None) -> None:
        answer = self.http.put(f"{self.base}/{path}", json=body or {}, timeout=10)
        if answer.status_code not in (200, 409):
            raise RuntimeError(f"PUT {path}: {answer.status_code} {answer.text}")

    def ensure_topic(self, topic: str) -> None:
        self._put(f"topics/{topic}")

    def topic_path(self, topic: str) -> str:
        return f"projects/{self.project}/topics/{topic}"

    def wire(self, event_endpoints: dict[str, str], push_token: str = "") -> list[str]:
        """Create every topic and push subscription; ``event_endpoints`` maps a service to its base URL.

        ``push_token`` goes into every endpoint's query: the emulator sends no credentials, so the functions
        recognise our own pushes by it (see ``platform.consumer.check_push``)."""
        query = f"?push_token={push_token}" if push_token else ""
        created: list[str] = []
        self.ensure_topic(DEAD_LETTER_TOPIC)
        self._put(f"subscriptions/{DEAD_LETTER_SUBSCRIPTION}", {"topic": self.topic_path(DEAD_LETTER_TOPIC)})
        for topic in CATALOGUE:
            self.ensure_topic(topic.topic)
            for service in topic.subscribers:
                name = subscription_id(service, topic)
                self._put(
                    f"subscriptions/{name}",
                    {
                        "topic": self.topic_path(topic.topic),
                        "ackDeadlineSeconds": max(ACK_DEADLINE_S, topic.ack_deadline_s)
                        if topic.ack_deadline_s > LONG_HANDLER_S else ACK_DEADLINE_S,
                        "pushConfig": {
                            "pushEndpoint": f"{event_endpoints[service]}/{self.topic_path(topic.topic)}{query}"
                        },
                        "deadLetterPolicy": {
                            "deadLetterTopic": self.topic_path(DEAD_LETTER_TOPIC),
                            "maxDeliveryAttempts": MAX_DELIVERY_ATTEMPTS,
                        },
                    },
                )
                created.append(name)
        return created

    def clear(self) -> None:
        """Delete subscriptions (stops pushes) then topics: the emulator has no reset."""
        for kind in ("subscriptions", "topics"):
            answer = self.http.get(f"{self.base}/{kind}", params={"pageSize": 1000}, timeout=10)
            answer.raise_for_status()
            for item in answer.json().get(kind, []):
                name = item["name"] if isinstance(item, dict) else item
                self.http.delete(f"http://{self.base.split('/', 3)[2]}/v1/{name}", timeout=10)

    def pull_dead_letters(self, max_messages: int = 100) -> list[dict[str, object]]:
        answer = self.http.post(
            f"{self.base}/subscriptions/{DEAD_LETTER_SUBSCRIPTION}:pull",
            json={"maxMessages": max_messages, "returnImmediately": True},
            timeout=10,
        )
        answer.raise_for_status()
        return list(answer.json().get("receivedMessages", []))
