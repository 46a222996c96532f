terraform {
  required_providers {
    purecloud = {
      source  = "purecloud-terraform/purecloud"
      version = "~> 0.1"
    }
  }
}

# Credentials of an OAuth client with the client-credentials grant. They can also come from
# GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET, the same variables as the
# official Genesys Cloud provider.
provider "purecloud" {
  oauthclient_id     = var.oauthclient_id
  oauthclient_secret = var.oauthclient_secret
  region             = "eu-central-1"

  # Optional tuning for large organizations.
  token_pool_size = 2
  batch_window    = "1s"
  max_batch_users = 100
}

variable "oauthclient_id" {
  type = string
}

variable "oauthclient_secret" {
  type      = string
  sensitive = true
}
