"""The front door's admin screens, one module per screen: the staff form, triage."""
