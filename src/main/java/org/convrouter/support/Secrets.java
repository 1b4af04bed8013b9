package org.convrouter.support;

import java.util.regex.Pattern;

/** Keeps secrets out of what the service prints and logs. */
public final class Secrets {

    /** The password of a URL's user-info: {@code //user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@:]*):[^/?#@]*@");
    /** A query or property parameter that carries a secret: {@code password=}, {@code sslpassword=}, {@code ...secret=}, {@code ...token=}. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)([?&;][^&;=#]*(?:password|secret|token)=)[^&;#]*");

    private Secrets() {}

    /** The URL with any password or secret parameter replaced by {@code ***}; null stays null. */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = USER_INFO.matcher(url).replaceFirst("$1:***@");
        return SECRET_PARAMETER.matcher(masked).replaceAll("$1***");
    }
}
