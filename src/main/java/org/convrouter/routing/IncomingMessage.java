package org.convrouter.routing;

/** A rule fact: the first message of the conversation being routed. */
public record IncomingMessage(String text, String subject) {}
