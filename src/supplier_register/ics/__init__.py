"""The ICS view: several trusts' shared registers lined up per supplier (issue 19, point 2).

Pure logic: the value types of a shared file (:mod:`.model`, filled by
:mod:`supplier_register.interchange.share_read`) and the matching of suppliers across
trusts with their joint-procurement windows (:mod:`.analysis`).  No storage, no UI.
"""
