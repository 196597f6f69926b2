# The one Firestore database: protected from deletion, recoverable to any minute of the last 7 days, backed up
# daily, with TTL policies that delete short-lived records (platform/retention.py) after their expires_at.

resource "google_firestore_database" "main" {
  name                              = "(default)"
  location_id                       = var.firestore_location
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "PESSIMISTIC"
  app_engine_integration_mode       = "DISABLED"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = "ABANDON"
  depends_on                        = [google_project_service.api]
}

resource "google_firestore_backup_schedule" "daily" {
  database  = google_firestore_database.main.name
  retention = "${var.backup_retention_days * 86400}s"
  daily_recurrence {}
}

resource "google_firestore_field" "ttl" {
  for_each   = local.catalogue.ttl_collections
  database   = google_firestore_database.main.name
  collection = each.key
  field      = local.catalogue.ttl_field
  ttl_config {}
  index_config {} # no single-field index on the expiry: TTL does not need one, and writes get cheaper
}

# Composite indexes from firestore.indexes.json (the Firebase CLI's format; the emulator does not enforce them).
locals {
  indexes = jsondecode(file("${path.module}/firestore.indexes.json")).indexes
}

resource "google_firestore_index" "composite" {
  for_each    = { for index in local.indexes : join("/", concat([index.collectionGroup], [for f in index.fields : f.fieldPath])) => index }
  database    = google_firestore_database.main.name
  collection  = each.value.collectionGroup
  query_scope = lookup(each.value, "queryScope", "COLLECTION")

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path   = fields.value.fieldPath
      order        = lookup(fields.value, "order", null)
      array_config = lookup(fields.value, "arrayConfig", null)
    }
  }
}
