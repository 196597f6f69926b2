# Time-driven work: every few minutes Cloud Scheduler publishes the tick, the same constant message every time
# (platform/tick.py). Each subscribed service then does what is due, reading the competition clock and Firestore.
# No credential of ours is involved: a forged tick can only make a service look at what is due.

resource "google_cloud_scheduler_job" "tick" {
  name        = "gd-tick"
  region      = var.region
  description = "GemeenteDelers: time passed; due work (the announcement, ...) runs on it"
  schedule    = var.tick_schedule
  time_zone   = "Europe/Amsterdam"

  pubsub_target {
    topic_name = google_pubsub_topic.topic[local.catalogue.tick.topic].id
    data       = base64encode(local.catalogue.tick.data)
    attributes = local.catalogue.tick.attributes
  }

  retry_config {
    retry_count = 0 # the next tick comes in a few minutes
  }

  depends_on = [google_pubsub_topic_iam_member.scheduler_publishes_tick]
}
