package org.convrouter.http;

/**
 * Every limit on what a request may carry, in one place (docs/limits.md lists them, openapi.yaml
 * states them as maxLength and maxItems). Each is at most the database column it is stored in, and
 * is checked on the value as it will be stored (an email after it is brought to lower case), so a
 * request that passes never fails in the database. Lengths count UTF-16 code units, the most any
 * of the two databases counts: an emoji counts as two.
 */
public final class Limits {

    /** Ids given by clients: users, teams, inboxes, channels, contacts, conversations, tokens (VARCHAR(64)). */
    public static final int ID = 64;
    /** Names of users, teams, inboxes, channels, contacts and tokens (VARCHAR(200)). */
    public static final int NAME = 200;
    /** An email address, also once stripped and in lower case (VARCHAR(320)). */
    public static final int EMAIL = 320;
    /** A message's text: the first message of a conversation and every reply. */
    public static final int MESSAGE_TEXT = 20_000;
    /** A message's subject (VARCHAR(500)). */
    public static final int SUBJECT = 500;
    /** Ids in one list: team members, an inbox's teams, the users and teams a channel routes to. */
    public static final int LIST_ITEMS = 1_000;
    /** Rule files in one validation request. */
    public static final int RULE_FILES = 100;
    /** A time zone id (VARCHAR(64)). */
    public static final int TIME_ZONE = 64;
    /** A query parameter: a cursor, a view, an id to filter by. */
    public static final int QUERY_PARAM = 200;
    /** A request body, in bytes. */
    public static final long BODY_BYTES = 1_000_000;

    private Limits() {}
}
