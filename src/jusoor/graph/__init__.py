"""Networks of investigation entities: build the graph an actor may see (`build`), measure it
(`metrics`: degree, betweenness, Leiden communities, shortest paths) and export it (`export`:
GraphML, GEXF for Gephi, FollowTheMoney JSON lines). `service` is the audited entry point."""
