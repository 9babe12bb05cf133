"""The portal: the pages that belong to no domain and may show all of them (home, language, status).

It sits at the top, beside `jusoor.domains`: the home page reads the cards every domain declares
(`core.registry`), and the status page reads agencies, auth and audit.
"""
