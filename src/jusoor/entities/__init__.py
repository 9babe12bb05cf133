"""Investigation entities: people, organisations, phones, documents and how records of them link up.

`jusoor.entities.resolution` holds the pure normalisers and the cross-script name matcher that
record linkage builds on.
"""
