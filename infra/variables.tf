# What an operator chooses. What follows from the code is in catalogue.auto.tfvars.json (generated).

variable "project_id" {
  description = "The Google Cloud project to deploy to."
  type        = string
  validation {
    condition     = !startswith(var.project_id, "demo-")
    error_message = "demo-* project ids belong to the local emulators; deploy to a real project."
  }
}

variable "region" {
  description = "Where the functions, topics' storage, secrets and the scheduler live (the Netherlands)."
  type        = string
  default     = "europe-west4"
}

variable "firestore_location" {
  description = "Firestore's location: the multi-region eur3 (Belgium and the Netherlands)."
  type        = string
  default     = "eur3"
}

variable "bundles_dir" {
  description = "The folder infra/bundle.py wrote one bundle per service into."
  type        = string
  default     = "../build/functions"
}

variable "smtp_host" {
  description = "The SMTP relay notify sends through (submission with STARTTLS; Google Cloud blocks port 25)."
  type        = string
}

variable "smtp_port" {
  description = "The relay's submission port."
  type        = number
  default     = 587
}

variable "smtp_user" {
  description = "The user name at the relay; its password is the secret gd-smtp-password."
  type        = string
}

variable "mail_from" {
  description = "The sender, an address the relay may send for (SPF, DKIM, DMARC of its domain)."
  type        = string
}

variable "mail_reply_to" {
  description = "Where replies to the mails go (Reply-To, and the organiser of .ics invitations)."
  type        = string
  default     = "GemeenteDelers <gemeentedelers@vng.nl>"
}

variable "mail_domain" {
  description = "The domain of the mails' Message-IDs (the sender's domain)."
  type        = string
  default     = "gemeentedelers.nl"
}

variable "alert_email" {
  description = "Who is told when a message is dead-lettered or dead letters are not being kept."
  type        = string
}

variable "edition" {
  description = "Pin every function to one edition (GD_EDITION); empty: the edition Firestore's config/active names."
  type        = string
  default     = ""
}

variable "oidc_issuer" {
  description = "The organisers' OpenID Connect provider (GD_OIDC_ISSUER); empty: sign-in links only, no client secret."
  type        = string
  default     = ""
}

variable "oidc_client_id" {
  description = "The console's client id at that provider (GD_OIDC_CLIENT_ID); its secret is gd-oidc-client-secret."
  type        = string
  default     = ""
}

variable "oidc_name" {
  description = "What the console's sign-in button calls the provider (GD_OIDC_NAME); empty: \"OpenID Connect\"."
  type        = string
  default     = ""
}

variable "privacy_contact" {
  description = "Where the privacy statement (/privacy on every HTTP function) sends questions and requests."
  type        = string
  default     = "privacy@vng.nl"
}

variable "rate_limits" {
  description = "Scorer sign-ups and organisers' sign-in link requests per address and per client IP (COUNT/SECONDS), and which X-Forwarded-For entry from the right is the client: 1 behind Cloud Run alone, 2 behind an external load balancer (a custom domain through one)."
  type = object({
    address       = string
    ip            = string
    client_ip_hop = number
  })
  default = { address = "5/3600", ip = "30/600", client_ip_hop = 1 }
  validation {
    condition     = can(regex("^[1-9][0-9]*/[1-9][0-9]*$", var.rate_limits.address)) && can(regex("^[1-9][0-9]*/[1-9][0-9]*$", var.rate_limits.ip)) && var.rate_limits.client_ip_hop >= 1
    error_message = "Rate limits are COUNT/SECONDS (e.g. 5/3600) and client_ip_hop is at least 1."
  }
}

variable "public_urls" {
  description = "A custom domain per service (e.g. scoring = \"https://scoren.gemeentedelers.nl\"); default: run.app."
  type        = map(string)
  default     = {}
}

variable "tick_schedule" {
  description = "How often Cloud Scheduler publishes the tick (cron, Europe/Amsterdam)."
  type        = string
  default     = "*/5 * * * *"
}

variable "backup_retention_days" {
  description = "How long the daily Firestore backups are kept (erased personal data stays in them this long)."
  type        = number
  default     = 7
  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 7
    error_message = "Daily Firestore backups are kept 1 to 7 days."
  }
}

variable "capacity" {
  description = "Per function: memory, CPU, request timeout, instance limit and concurrent requests per instance."
  type = map(object({
    memory          = string
    cpu             = string
    timeout_seconds = number
    max_instances   = number
    concurrency     = number
  }))
  default = {
    # Form tools post one registration per request; a burst of 64 fits one or two instances.
    "intake-http" = { memory = "512Mi", cpu = "1", timeout_seconds = 60, max_instances = 10, concurrency = 20 }
    # The organiser's preview and close fit the rater model (numpy, scipy) in the request: memory and time.
    "scoring-http"      = { memory = "2Gi", cpu = "2", timeout_seconds = 300, max_instances = 10, concurrency = 8 }
    "scoring-events"    = { memory = "1Gi", cpu = "1", timeout_seconds = 60, max_instances = 5, concurrency = 4 }
    "assessment-http"   = { memory = "512Mi", cpu = "1", timeout_seconds = 60, max_instances = 5, concurrency = 20 }
    "assessment-events" = { memory = "512Mi", cpu = "1", timeout_seconds = 60, max_instances = 3, concurrency = 4 }
    "jury-http"         = { memory = "512Mi", cpu = "1", timeout_seconds = 60, max_instances = 3, concurrency = 20 }
    "jury-events"       = { memory = "512Mi", cpu = "1", timeout_seconds = 120, max_instances = 2, concurrency = 1 }
    "notify-http"       = { memory = "256Mi", cpu = "1", timeout_seconds = 30, max_instances = 3, concurrency = 20 }
    # One delivery of winners.announced mails everyone (hundreds) over 4 SMTP connections: the timeout covers
    # it, and a delivery cut short is pushed again and goes on where the ledger says it stopped.
    "notify-events" = { memory = "512Mi", cpu = "1", timeout_seconds = 600, max_instances = 5, concurrency = 4 }
  }
}

variable "catalogue" {
  description = "Generated from the code by infra/catalogue.py into catalogue.auto.tfvars.json: do not set by hand."
  type = object({
    services       = list(string)
    event_services = list(string)
    topics = map(object({
      event_type          = string
      publishers          = list(string)
      scheduler_publishes = bool
      public              = bool
    }))
    subscriptions = map(object({
      topic                = string
      service              = string
      ack_deadline_seconds = number
    }))
    dead_letter = object({
      topic                 = string
      keeper                = string
      subscription          = string
      max_delivery_attempts = number
      ack_deadline_seconds  = number
    })
    tick = object({
      topic      = string
      data       = string
      attributes = map(string)
    })
    secrets = map(object({
      env     = string
      readers = list(string)
    }))
    ttl_collections = map(number)
    ttl_field       = string
  })
}
