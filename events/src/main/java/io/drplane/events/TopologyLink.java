package io.drplane.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One replication link that exists now: a link of the plan, or one reversed by re-protect ({@code -reversed}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TopologyLink(String name, String from, String to) {}
