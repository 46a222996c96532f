terraform {
  required_providers {
    purecloud = {
      source  = "purecloud-terraform/purecloud"
      version = "~> 0.1"
    }
  }
}

provider "purecloud" {}
