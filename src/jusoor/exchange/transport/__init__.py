"""How messages travel between nodes, store-and-forward: canonical JSON, envelopes signed and
encrypted (`envelope`), a message row turned into its envelope and back (`sealing`), the outbox
written in the caller's transaction (`outbox`), the worker that delivers it (`delivery`), and the
inbox's checks and signed receipt (`inbox`)."""
