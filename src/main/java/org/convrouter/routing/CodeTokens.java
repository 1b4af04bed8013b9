package org.convrouter.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of a piece of rule code (a constraint, an eval, a consequence), for the checks that
 * read what rules do. Comments are dropped and each string or character literal is one opaque
 * token, so neither can hide or fake code ({@code "http://x"} is a string, not a comment).
 * Identifiers keep a leading {@code $}; operators of two characters are one token.
 */
final class CodeTokens {

    enum Kind { IDENTIFIER, STRING, NUMBER, SYMBOL }

    record Token(Kind kind, String text) {
        boolean is(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        boolean identifier() {
            return kind == Kind.IDENTIFIER;
        }
    }

    private static final List<String> PAIRS = List.of("==", "!=", "<=", ">=", "&&", "||", "->", "::", ":=", "++", "--",
            "+=", "-=");

    private CodeTokens() {}

    static List<Token> of(String code) {
        List<Token> tokens = new ArrayList<>();
        if (code == null) {
            return tokens;
        }
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && code.charAt(i + 1) == '/') {
                while (i < n && code.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '"' || c == '\'') {
                int start = i++;
                while (i < n && code.charAt(i) != c) {
                    i += code.charAt(i) == '\\' ? 2 : 1;
                }
                i = Math.min(i + 1, n);
                tokens.add(new Token(Kind.STRING, code.substring(start, i)));
            } else if (Character.isJavaIdentifierStart(c)) { // letters, _ and $
                int start = i++;
                while (i < n && Character.isJavaIdentifierPart(code.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENTIFIER, code.substring(start, i)));
            } else if (Character.isDigit(c)) {
                int start = i++;
                while (i < n && (Character.isLetterOrDigit(code.charAt(i)) || code.charAt(i) == '.'
                        && i + 1 < n && Character.isDigit(code.charAt(i + 1)))) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, code.substring(start, i)));
            } else {
                String pair = i + 1 < n ? code.substring(i, i + 2) : "";
                if (PAIRS.contains(pair)) {
                    tokens.add(new Token(Kind.SYMBOL, pair));
                    i += 2;
                } else {
                    tokens.add(new Token(Kind.SYMBOL, String.valueOf(c)));
                    i++;
                }
            }
        }
        return tokens;
    }
}
