package io.gridgate.distribution;

/** A document to commit and where it comes from (the origin of the version it becomes). */
public record ConfigDraft(String document, String origin) {}
