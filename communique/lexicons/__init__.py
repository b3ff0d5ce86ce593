"""Lexicons the stages share: the gazetteer of places and organisations, the actor dictionary
(titles, pronouns, dated persons), user actor files, word lists and quotation marks.

The stages import these and never each other; the pipeline builds the gazetteer and the
dictionary once (:class:`communique.pipeline.Resources`) and hands them to the stages.
"""
