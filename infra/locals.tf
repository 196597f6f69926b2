# Names and maps derived from the catalogue, used by every other file.

locals {
  catalogue = var.catalogue

  # One HTTP function per service (people and form tools) and ONE event function per subscribing service: a push
  # subscription targets the function's URL with the topic's path, so one function serves all its topics.
  http_functions = {
    for service in local.catalogue.services : "${service}-http" => {
      service     = service
      entry_point = "${service}_http"
      public      = true
    }
  }
  event_functions = {
    for service in local.catalogue.event_services : "${service}-events" => {
      service     = service
      entry_point = "${service}_events"
      public      = false
    }
  }
  functions = merge(local.http_functions, local.event_functions)

  # Every subscription to an event function: the catalogue's, plus the dead-letter topic's to its keeper.
  push_subscriptions = merge(
    {
      for name, sub in local.catalogue.subscriptions : name => merge(sub, { dead_letter = true })
    },
    {
      (local.catalogue.dead_letter.subscription) = {
        topic                = local.catalogue.dead_letter.topic
        service              = local.catalogue.dead_letter.keeper
        ack_deadline_seconds = local.catalogue.dead_letter.ack_deadline_seconds
        dead_letter          = false # the dead-letter topic's own subscription cannot dead-letter into itself
      }
    },
  )

  # Cloud Run's deterministic address of a function, known before it exists (so functions can link to each other
  # without a dependency cycle); a custom domain in var.public_urls replaces it in links.
  run_url = {
    for name in concat(keys(local.http_functions), keys(local.event_functions)) :
    name => "https://${name}-${data.google_project.this.number}.${var.region}.run.app"
  }
  public_urls = {
    for service in local.catalogue.services :
    service => lookup(var.public_urls, service, local.run_url["${service}-http"])
  }

  pubsub_agent    = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  scheduler_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-cloudscheduler.iam.gserviceaccount.com"

  # The longest ack deadline among a service's subscriptions: its event function may take that long per event.
  event_timeout = {
    for name, fn in local.event_functions : name => max([
      for sub in values(local.push_subscriptions) : sub.ack_deadline_seconds if sub.service == fn.service
    ]...)
  }

  environment = {
    for service in local.catalogue.services : service => merge(
      {
        GOOGLE_CLOUD_PROJECT = var.project_id # 2nd gen functions do not set it; settings.load() requires it
        GD_PRIVACY_CONTACT   = var.privacy_contact
        # web/ratelimit.py: read by the pages that sign people up or mail a sign-in link
        GD_RATE_LIMIT_ADDRESS = var.rate_limits.address
        GD_RATE_LIMIT_IP      = var.rate_limits.ip
        GD_CLIENT_IP_HOP      = tostring(var.rate_limits.client_ip_hop)
      },
      { for other, url in local.public_urls : "GD_PUBLIC_URL_${upper(other)}" => url },
      var.edition == "" ? {} : { GD_EDITION = var.edition },
      # The relay's settings go where its password goes: to the services whose code sends mail.
      !contains(local.secret_services["gd-smtp-password"], service) ? {} : {
        GD_SMTP_HOST     = var.smtp_host
        GD_SMTP_PORT     = tostring(var.smtp_port)
        GD_SMTP_USER     = var.smtp_user
        GD_SMTP_STARTTLS = "1"
        GD_MAIL_FROM     = var.mail_from
        GD_MAIL_REPLY_TO = var.mail_reply_to
        GD_MAIL_DOMAIN   = var.mail_domain
      },
      # The OpenID Connect settings go where the client secret's reader is: the organisers' console.
      !contains(local.oidc_readers, service) ? {} : {
        GD_OIDC_ISSUER    = var.oidc_issuer
        GD_OIDC_CLIENT_ID = var.oidc_client_id
        GD_OIDC_NAME      = var.oidc_name
      },
    )
  }

  # The OpenID Connect client secret exists only when sign-in through a provider is on: a function mounts a
  # secret's `latest` version, which must exist, and without a provider there is no value to give it.
  oidc_secrets = [for secret, spec in local.catalogue.secrets : secret if spec.env == "GD_OIDC_CLIENT_SECRET"]
  oidc_readers = flatten([for secret in local.oidc_secrets : local.catalogue.secrets[secret].readers])
  secrets = {
    for secret, spec in local.catalogue.secrets : secret => spec
    if var.oidc_issuer != "" || !contains(local.oidc_secrets, secret)
  }

  secret_services = { for secret, spec in local.catalogue.secrets : secret => spec.readers }
  secret_readers = merge([
    for secret, spec in local.secrets : {
      for service in spec.readers : "${secret}/${service}" => { secret = secret, service = service, env = spec.env }
    }
  ]...)
  publisher_grants = merge([
    for topic, spec in local.catalogue.topics : {
      for service in spec.publishers : "${topic}/${service}" => { topic = topic, service = service }
    }
  ]...)
}
