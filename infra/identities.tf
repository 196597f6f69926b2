# Who is who. One runtime service account per service, with only what its code needs; one push identity per event
# function, which may invoke that function and nothing else; one build identity for Cloud Build.

resource "google_service_account" "runtime" {
  for_each     = toset(local.catalogue.services)
  account_id   = "gd-${each.key}"
  display_name = "GemeenteDelers ${each.key} (runtime)"
  depends_on   = [google_project_service.api]
}

# Firestore has no per-collection IAM: every service reads and writes the one database.
resource "google_project_iam_member" "firestore_user" {
  for_each = google_service_account.runtime
  project  = var.project_id
  role     = "roles/datastore.user"
  member   = each.value.member
}

# Logs reach Cloud Logging through stdout; metrics and traces are not written, so no other project role.

resource "google_service_account" "push" {
  for_each     = local.event_functions
  account_id   = "gd-push-${each.value.service}"
  display_name = "Pub/Sub pushes to ${each.key}"
  depends_on   = [google_project_service.api]
}

# Pub/Sub's service agent signs the push requests' OIDC tokens as each push identity (needed in projects made
# before April 2021, harmless after).
resource "google_service_account_iam_member" "push_token_creator" {
  for_each           = google_service_account.push
  service_account_id = each.value.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

resource "google_service_account" "build" {
  account_id   = "gd-build"
  display_name = "GemeenteDelers Cloud Build (builds the functions' images)"
  depends_on   = [google_project_service.api]
}

resource "google_project_iam_member" "build_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = google_service_account.build.member
}

resource "google_artifact_registry_repository_iam_member" "build_push" {
  project    = var.project_id
  location   = google_artifact_registry_repository.functions.location
  repository = google_artifact_registry_repository.functions.name
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.build.member
}

resource "google_storage_bucket_iam_member" "build_reads_sources" {
  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.build.member
}
