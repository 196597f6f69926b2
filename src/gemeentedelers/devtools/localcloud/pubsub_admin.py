"""Wiring the Pub/Sub emulator from the event catalogue, through its REST API.

Each subscribed service gets a push subscription to its event function, with the topic path in the
endpoint URL (functions-framework takes the CloudEvent source from it), a dead-letter policy and the retry
policy (exponential backoff); the dead-letter topic has a push subscription to the keeper's event function
(``DEAD_LETTER_KEEPER``, notify), which stores every dead letter for ``ops dead-letters``.

The emulator (0.8.x) accepts ``retryPolicy`` and applies it: redeliveries of a failing push wait longer each
time, roughly doubling from ``minimumBackoff`` up to ``maximumBackoff`` (measured with 2 s / 8 s: 1.0, 4.8, 5.0
and 7.0 s between the five deliveries), where without a policy it redelivers about every second.
"""

from __future__ import annotations

import requests

from gemeentedelers.platform.events import (
    CATALOGUE,
    DEAD_LETTER_KEEPER,
    DEAD_LETTER_TOPIC,
    MAX_DELIVERY_ATTEMPTS,
    MAX_RETRY_BACKOFF_S,
    MIN_RETRY_BACKOFF_S,
    subscription_id,
)

ACK_DEADLINE_S = 30
LONG_HANDLER_S = 60
"""Locally a stuck push comes back after 30 s; a handler the catalogue gives longer (the announcement, which mails
everyone) keeps its own deadline, as deployed, so it is not pushed a second time while it works."""

DEAD_LETTER_SUBSCRIPTION = f"{DEAD_LETTER_KEEPER}--{DEAD_LETTER_TOPIC}"
PRODUCTION_RETRY = (MIN_RETRY_BACKOFF_S, MAX_RETRY_BACKOFF_S)


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

    def wire(self, event_endpoints: dict[str, str], push_token: str = "",
             retry: tuple[float, float] = PRODUCTION_RETRY) -> list[str]:
        """Create every topic and push subscription; ``event_endpoints`` maps a service to its base URL.

        ``push_token`` goes into every endpoint's query: the emulator sends no credentials, so the functions
        recognise our own pushes by it (see ``platform.consumer.check_push``). ``retry`` is the backoff's
        minimum and maximum in seconds (production's by default)."""
        query = f"?push_token={push_token}" if push_token else ""
        retry_policy = {"minimumBackoff": f"{retry[0]:g}s", "maximumBackoff": f"{retry[1]:g}s"}
        created: list[str] = []
        self.ensure_topic(DEAD_LETTER_TOPIC)
        self._put(f"subscriptions/{DEAD_LETTER_SUBSCRIPTION}", {
            "topic": self.topic_path(DEAD_LETTER_TOPIC),
            "ackDeadlineSeconds": ACK_DEADLINE_S,
            "pushConfig": {"pushEndpoint": f"{event_endpoints[DEAD_LETTER_KEEPER]}/"
                                           f"{self.topic_path(DEAD_LETTER_TOPIC)}{query}"},
            "retryPolicy": retry_policy,
        })
        created.append(DEAD_LETTER_SUBSCRIPTION)
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
                        "retryPolicy": retry_policy,
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
