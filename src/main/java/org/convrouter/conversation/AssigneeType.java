package org.convrouter.conversation;

public enum AssigneeType {
    USER, TEAM
}
