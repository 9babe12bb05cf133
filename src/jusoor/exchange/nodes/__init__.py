"""The two ends of an exchange: this node's identity and key pairs (`node`, `keys`), the peers
imported after an out-of-band fingerprint check (`peers`), and key rotation announced to every
peer (`rotation`)."""
