"""The service directory (what agencies offer) and referrals of cases to those services."""

# Referrals share case fields with the receiving agency through the cases domain's access
# extension point; registering here means any use of this package switches the grant on.
from jusoor.referrals import grants as grants
