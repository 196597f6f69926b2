output "http_urls" {
  description = "Each service's public address (what links in mails and pages use)."
  value       = local.public_urls
}

output "webhook_urls" {
  description = "What the organisers paste into Typeform, Tally or another form tool."
  value = {
    for provider in ["typeform", "tally", "generic"] : provider => "${local.public_urls["intake"]}/webhooks/${provider}"
  }
}

output "event_function_uris" {
  description = "The internal-only event functions' addresses (push subscriptions' endpoints and audiences)."
  value       = { for name, fn in google_cloudfunctions2_function.function : name => fn.service_config[0].uri if !local.functions[name].public }
}

output "runtime_service_accounts" {
  description = "Each service's identity."
  value       = { for service, account in google_service_account.runtime : service => account.email }
}

output "secrets_to_fill" {
  description = "Secret containers that need a value (gcloud secrets versions add NAME --data-file=-)."
  value       = sorted(keys(google_secret_manager_secret.secret))
}
