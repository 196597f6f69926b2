# Topics, who may publish to each, and one push subscription per (topic, subscriber) to the subscriber's event
# function, authenticated with an OIDC token of that function's push identity.

resource "google_pubsub_topic" "topic" {
  for_each                   = local.catalogue.topics
  name                       = each.key
  message_retention_duration = "604800s" # 7 days: a subscription made later can still seek back
  labels                     = { event_type = replace(each.value.event_type, ".", "_") }
  depends_on                 = [google_project_service.api]
  #checkov:skip=CKV_GCP_83:Google-managed encryption at rest; customer-managed keys (key custody, rotation) are the operator's choice, see infra/README.md.
}

resource "google_pubsub_topic" "dead_letter" {
  name                       = local.catalogue.dead_letter.topic
  message_retention_duration = "2678400s" # 31 days, the most Pub/Sub keeps; the keeper stores them in Firestore
  depends_on                 = [google_project_service.api]
  #checkov:skip=CKV_GCP_83:Google-managed encryption at rest; customer-managed keys (key custody, rotation) are the operator's choice, see infra/README.md.
}

# Topic-level publisher rights: each service on the topics its code publishes to, nothing project-wide.
resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.publisher_grants
  project  = var.project_id
  topic    = google_pubsub_topic.topic[each.value.topic].name
  role     = "roles/pubsub.publisher"
  member   = google_service_account.runtime[each.value.service].member
}

# The tick comes from Cloud Scheduler's service agent, with a constant body and no credential of ours.
resource "google_pubsub_topic_iam_member" "scheduler_publishes_tick" {
  for_each = { for topic, spec in local.catalogue.topics : topic => spec if spec.scheduler_publishes }
  project  = var.project_id
  topic    = google_pubsub_topic.topic[each.key].name
  role     = "roles/pubsub.publisher"
  member   = local.scheduler_agent
}

# Pub/Sub's service agent forwards a message that failed max_delivery_attempts times to the dead-letter topic.
resource "google_pubsub_topic_iam_member" "dead_letter_forwarding" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent
}

resource "google_pubsub_subscription" "push" {
  for_each = local.push_subscriptions
  name     = each.key
  topic = (each.value.topic == local.catalogue.dead_letter.topic
    ? google_pubsub_topic.dead_letter.id
  : google_pubsub_topic.topic[each.value.topic].id)

  ack_deadline_seconds       = each.value.ack_deadline_seconds
  message_retention_duration = "604800s"
  retain_acked_messages      = false

  push_config {
    # functions-framework takes the CloudEvent's source from the path.
    push_endpoint = "${google_cloudfunctions2_function.function["${each.value.service}-events"].service_config[0].uri}/projects/${var.project_id}/topics/${each.value.topic}"
    oidc_token {
      service_account_email = google_service_account.push["${each.value.service}-events"].email
      audience              = google_cloudfunctions2_function.function["${each.value.service}-events"].service_config[0].uri
    }
  }

  # Never deleted for being idle: winners.announced is published once a year.
  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dynamic "dead_letter_policy" {
    for_each = each.value.dead_letter ? [1] : []
    content {
      dead_letter_topic     = google_pubsub_topic.dead_letter.id
      max_delivery_attempts = local.catalogue.dead_letter.max_delivery_attempts
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.push_invoker]
}

# To forward a dead letter, Pub/Sub's service agent must also be able to acknowledge it on the source subscription.
resource "google_pubsub_subscription_iam_member" "dead_letter_forwarding" {
  for_each     = { for name, sub in local.push_subscriptions : name => sub if sub.dead_letter }
  project      = var.project_id
  subscription = google_pubsub_subscription.push[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}
