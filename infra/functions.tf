# The functions: one HTTP function per service and one event function per subscribing service (local.functions),
# each built from
# its bundle (python infra/bundle.py), run as its service's own identity, sized per function (var.capacity).

resource "google_storage_bucket" "sources" {
  name                        = "${var.project_id}-gd-function-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
    }
    action {
      type = "Delete"
    }
  }
  #checkov:skip=CKV_GCP_62:Holds only the bundles' zip files, which are in git; access is in Cloud Audit Logs.
  depends_on = [google_project_service.api]
}

resource "google_artifact_registry_repository" "functions" {
  location      = var.region
  repository_id = "gd-functions"
  description   = "The images Cloud Build makes of the GemeenteDelers functions"
  format        = "DOCKER"

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 5
    }
  }
  depends_on = [google_project_service.api]
  #checkov:skip=CKV_GCP_84:Google-managed encryption at rest; customer-managed keys (key custody, rotation) are the operator's choice, see infra/README.md.
}

data "archive_file" "bundle" {
  for_each    = toset(local.catalogue.services)
  type        = "zip"
  source_dir  = "${var.bundles_dir}/${each.key}"
  output_path = "${path.root}/.terraform/bundles/${each.key}.zip"
}

# The object's name carries the bundle's hash: a changed bundle is a new object, and so a new build.
resource "google_storage_bucket_object" "bundle" {
  for_each = data.archive_file.bundle
  name     = "${each.key}-${each.value.output_sha256}.zip"
  bucket   = google_storage_bucket.sources.name
  source   = each.value.output_path
}

# HTTP functions (people and form tools) have ingress from anywhere; event functions have no event_trigger (no
# Eventarc): HTTP-triggered with the CloudEvent signature, internal ingress only, reached by their push
# subscriptions with an OIDC token Cloud Run checks.
resource "google_cloudfunctions2_function" "function" {
  for_each    = local.functions
  name        = each.key
  location    = var.region
  description = "GemeenteDelers ${each.value.service}: ${each.value.public ? "pages and webhooks" : "Pub/Sub pushes"}"
  labels      = { gd-service = each.value.service }
  #checkov:skip=CKV_GCP_124:The HTTP functions are public by design (the access model): browsers and form tools reach them and the app authenticates; the event functions are ALLOW_INTERNAL_ONLY.

  build_config {
    runtime           = "python311"
    entry_point       = each.value.entry_point
    service_account   = google_service_account.build.id
    docker_repository = google_artifact_registry_repository.functions.id
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.bundle[each.value.service].name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.runtime[each.value.service].email
    ingress_settings                 = each.value.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision   = true
    available_memory                 = var.capacity[each.key].memory
    available_cpu                    = var.capacity[each.key].cpu
    timeout_seconds                  = var.capacity[each.key].timeout_seconds
    max_instance_count               = var.capacity[each.key].max_instances
    max_instance_request_concurrency = var.capacity[each.key].concurrency
    environment_variables            = local.environment[each.value.service]

    dynamic "secret_environment_variables" {
      for_each = { for key, pair in local.secret_readers : key => pair if pair.service == each.value.service }
      content {
        key        = secret_environment_variables.value.env
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value.secret].secret_id
        version    = "latest"
      }
    }
  }

  lifecycle {
    precondition {
      condition     = each.value.public || var.capacity[each.key].timeout_seconds >= lookup(local.event_timeout, each.key, 0)
      error_message = "${each.key}: the timeout must cover the longest ack deadline of its subscriptions."
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.reader,
    google_project_iam_member.build_logs,
    google_artifact_registry_repository_iam_member.build_push,
    google_storage_bucket_iam_member.build_reads_sources,
  ]
}

# The access model. HTTP functions are public at the platform level: form tools, entrants, scorers, assessors,
# jurors, organisers and mail providers (unsubscribe links) reach them without a Google identity, and the app
# authenticates every request itself (webhook signatures, personal links, organiser sign-in).
resource "google_cloud_run_v2_service_iam_member" "public_invoker" {
  for_each = { for name, fn in google_cloudfunctions2_function.function : name => fn if local.functions[name].public }
  project  = var.project_id
  location = var.region
  name     = each.value.name
  role     = "roles/run.invoker"
  member   = "allUsers"
  #checkov:skip=CKV_GCP_102:Public by design: people and form tools without Google identities use these; the app authenticates each request.
}

# Event functions: only their own push identity may invoke them.
resource "google_cloud_run_v2_service_iam_member" "push_invoker" {
  for_each = { for name, fn in google_cloudfunctions2_function.function : name => fn if !local.functions[name].public }
  project  = var.project_id
  location = var.region
  name     = each.value.name
  role     = "roles/run.invoker"
  member   = google_service_account.push[each.key].member
}
