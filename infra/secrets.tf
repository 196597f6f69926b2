# Secret containers and who may read them. Terraform never writes a secret's value (it would land in the state):
# the operator adds each value with gcloud (infra/README.md) before the functions are deployed.

resource "google_secret_manager_secret" "secret" {
  for_each  = local.secrets # the OpenID Connect client secret only when var.oidc_issuer is set
  secret_id = each.key
  labels    = { env = lower(each.value.env) }

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }
  depends_on = [google_project_service.api]
}

# Only the services whose code reads a secret (catalogue.secrets.*.readers, derived from the imports): intake
# reads the webhook secrets and never the SMTP password; only notify reads the SMTP password.
resource "google_secret_manager_secret_iam_member" "reader" {
  for_each  = local.secret_readers
  project   = var.project_id
  secret_id = google_secret_manager_secret.secret[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.runtime[each.value.service].member
}
