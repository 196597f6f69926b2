# GemeenteDelers on Google Cloud: Cloud Functions (2nd gen), Pub/Sub, Firestore, Secret Manager, Cloud Scheduler.
# infra/README.md says what an operator does, in order, for a first deployment.

terraform {
  required_version = ">= 1.6"

  # Remote state in a GCS bucket made once by hand (infra/README.md, "Bootstrap"). The bucket is not written here:
  #   terraform init -backend-config="bucket=<project>-tfstate"
  backend "gcs" {
    prefix = "gemeentedelers"
  }

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.20"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
  default_labels = {
    app = "gemeentedelers"
  }
}

data "google_project" "this" {
  project_id = var.project_id
}
