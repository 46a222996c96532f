terraform {
  required_providers {
    purecloud = {
      source = "purecloud-terraform/purecloud"
    }
  }
}

provider "purecloud" {}
