package org.screening.outreach.domain;

/** How a person is contacted automatically. */
public enum ChannelKind { SMS, VOICE }
