"""The service directory (what agencies offer) and referrals of cases to those services."""
