# Nobody is left uninformed: an alert when a message is dead-lettered, and one when dead letters are not being
# kept (the keeper's subscription falls behind).

resource "google_monitoring_notification_channel" "operators" {
  display_name = "GemeenteDelers operators"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }
  depends_on = [google_project_service.api]
}

resource "google_monitoring_alert_policy" "dead_lettered" {
  display_name          = "GemeenteDelers: a message was dead-lettered"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.operators.id]

  conditions {
    display_name = "a subscription forwarded a message to ${local.catalogue.dead_letter.topic}"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND metric.type = \"pubsub.googleapis.com/subscription/dead_letter_message_count\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.subscription_id"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A message failed ${local.catalogue.dead_letter.max_delivery_attempts} deliveries and was dead-lettered; ${local.catalogue.dead_letter.keeper} keeps it in Firestore. List and replay with `gemeentedelers ops dead-letters [--replay]` after fixing the cause (the function's logs name it)."
  }
}

resource "google_monitoring_alert_policy" "dead_letters_not_kept" {
  display_name          = "GemeenteDelers: dead letters are not being kept"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.operators.id]

  conditions {
    display_name = "${local.catalogue.dead_letter.subscription} has a message older than an hour"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.label.subscription_id = \"${local.catalogue.dead_letter.subscription}\" AND metric.type = \"pubsub.googleapis.com/subscription/oldest_unacked_message_age\""
      comparison      = "COMPARISON_GT"
      threshold_value = 3600
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "The dead-letter keeper (${local.catalogue.dead_letter.keeper}-events) is failing; dead letters stay in Pub/Sub for 7 days. Its logs say why."
  }
}
