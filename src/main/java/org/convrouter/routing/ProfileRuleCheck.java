package org.convrouter.routing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convrouter.rules.RuleFile;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.BindingDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.EntryPointDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.ForallDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

/**
 * Decides whether a rule set judges selected candidates by their {@link CandidateProfile} alone. If
 * it does, the engine inserts one candidate per profile instead of one per user, and every user of
 * a profile gets the outcome of the one judged: the same exclusions, the same rules fired. That
 * turns a decision's rule work from one fact per user into one per profile (a handful).
 *
 * <p>The check is syntactic and conservative, over the parsed DRL (decision tables converted
 * first). It answers yes only when, in every rule:
 * <ul>
 *   <li>a pattern on a selected candidate reads only profile fields, and no variable bound to such
 *       a candidate is read except for its profile fields or compared with {@code ==}; every
 *       variable is named with a leading {@code $};
 *   <li>a rule that matches such a candidate positively does nothing but
 *       {@code insert(new Exclusion($c, "reason"))} for it, and its other positive patterns are
 *       one-per-request facts (settings, channel, inbox, contact, message, decision), owners or
 *       fallback users, and it is in no activation or agenda group: so it fires once per user in
 *       either mode, with the same effect;
 *   <li>no rule counts or collects candidates or exclusions, fires once per exclusion, calls a
 *       query, extends another rule, or reaches the session ({@code drools}, {@code kcontext}).
 * </ul>
 * Patterns that name {@code role == CandidateRole.OWNER} or {@code FALLBACK} may read anything:
 * owners and fallback users are one person each and are always judged on their own. Whatever the
 * check does not understand answers no, and the engine then judges every candidate, which is
 * always right; only speed depends on this answer.
 */
final class ProfileRuleCheck {

    /** Whether the rule set may be run by profile, and if not, the first reason found (for logs and tests). */
    record Verdict(boolean byProfile, String reason) {
        static final Verdict YES = new Verdict(true, "every rule judges selected candidates by profile only");
    }

    /** Facts the engine inserts once per request: matching them never multiplies a rule's firings. */
    private static final Set<String> ONE_PER_REQUEST = Set.of(
            "RoutingSettings", "Channel", "Inbox", "Contact", "IncomingMessage", "RoutingDecision", "Clock");
    private static final Set<String> STANDALONE_ROLES = Set.of(
            "role==CandidateRole.OWNER", "role==CandidateRole.FALLBACK", "role==OWNER", "role==FALLBACK");
    private static final String OF_CANDIDATE = "candidate==";
    private static final Set<String> GROUPS = Set.of("activation-group", "agenda-group", "ruleflow-group");
    private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "in", "not", "matches", "contains",
            "excludes", "instanceof");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("\\$?[A-Za-z_][\\w$]*");
    private static final Pattern MEMBER = Pattern.compile("\\G\\s*\\.\\s*([A-Za-z_]\\w*)");
    private static final Pattern MEMBERS = Pattern.compile("\\G(\\s*\\.\\s*[A-Za-z_]\\w*)*");
    private static final Pattern BINDING = Pattern.compile("^\\s*(\\$?[\\w$]+)\\s*:(?!=)\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern SESSION = Pattern.compile("\\b(drools|kcontext)\\b");

    private enum Kind { GROUPED, STANDALONE, EXCLUSION, OTHER }

    private ProfileRuleCheck() {}

    static Verdict check(List<RuleFile> files) {
        Map<String, PackageDescr> packages = new java.util.LinkedHashMap<>();
        for (RuleFile file : files) {
            try {
                DrlParser parser = new DrlParser();
                PackageDescr pkg = parser.parse(false, drlOf(file));
                if (parser.hasErrors()) {
                    return no(file.name() + " does not parse");
                }
                packages.put(file.name(), pkg);
            } catch (DroolsParserException | RuntimeException e) {
                return no(file.name() + " could not be read as DRL: " + e.getMessage());
            }
        }
        Set<String> queries = new java.util.HashSet<>();
        packages.values().forEach(pkg -> pkg.getRules().stream().filter(RuleDescr::isQuery).forEach(q -> queries.add(q.getName())));
        for (Map.Entry<String, PackageDescr> file : packages.entrySet()) {
            for (RuleDescr rule : file.getValue().getRules()) {
                if (rule.isQuery()) {
                    continue; // a query does nothing unless a rule calls it, and calls are refused
                }
                String why = new RuleCheck(queries).check(rule);
                if (why != null) {
                    return no("rule \"" + rule.getName() + "\" in " + file.getKey() + ": " + why);
                }
            }
        }
        return Verdict.YES;
    }

    private static Verdict no(String reason) {
        return new Verdict(false, reason);
    }

    static String drlOf(RuleFile file) {
        if (file.name().endsWith(".drl")) {
            return new String(file.content(), StandardCharsets.UTF_8);
        }
        InputType type = file.name().endsWith(".drl.csv") ? InputType.CSV : InputType.XLS;
        return new SpreadsheetCompiler().compile(new ByteArrayInputStream(file.content()), type);
    }

    /** One rule's walk: the variables it binds, and its positive patterns. */
    private static final class RuleCheck {
        private final Set<String> queries;
        private final Map<String, Kind> variables = new HashMap<>();
        private String groupedPositive;     // the variable of the one positive grouped-candidate pattern
        private int groupedPositives;
        private boolean multiplyingPositive; // a positive pattern other than one-per-request facts and standalone candidates

        RuleCheck(Set<String> queries) {
            this.queries = queries;
        }

        /** Null when the rule judges by profile only, else why not. */
        String check(RuleDescr rule) {
            if (rule.getNamedConsequences() != null && !rule.getNamedConsequences().isEmpty()) {
                return "named consequences are not analysed";
            }
            if (rule.hasParent()) {
                return "it extends another rule, whose patterns it inherits unseen";
            }
            if (rule.getSalience() != null && rule.getSalience().contains("$")) {
                return "its salience reads a variable";
            }
            String why = walk(rule.getLhs(), true, false);
            if (why != null) {
                return why;
            }
            if (groupedPositives > 0 && (groupedPositives > 1 || multiplyingPositive)) {
                return "it joins selected candidates with facts that repeat, so it fires a different number of times";
            }
            if (groupedPositives > 0 && GROUPS.stream().anyMatch(rule.getAttributes()::containsKey)) {
                return "it matches selected candidates inside an activation or agenda group, where which rule fires "
                        + "first could depend on how many candidates there are";
            }
            return consequence(String.valueOf(rule.getConsequence()));
        }

        private String walk(BaseDescr descr, boolean positive, boolean aggregated) {
            if (descr instanceof PatternDescr pattern) {
                return pattern(pattern, positive, aggregated);
            }
            if (descr instanceof AndDescr || descr instanceof OrDescr) {
                return walkAll(((ConditionalElementDescr) descr).getDescrs(), positive, aggregated);
            }
            if (descr instanceof NotDescr || descr instanceof ExistsDescr || descr instanceof ForallDescr) {
                // Existence does not depend on how many users share a profile.
                return walkAll(((ConditionalElementDescr) descr).getDescrs(), false, aggregated);
            }
            if (descr instanceof EvalDescr eval) {
                return reads(String.valueOf(eval.getContent()), false);
            }
            return "it uses " + descr.getClass().getSimpleName() + ", which is not analysed";
        }

        private String walkAll(List<? extends BaseDescr> descrs, boolean positive, boolean aggregated) {
            for (BaseDescr child : descrs) {
                String why = walk(child, positive, aggregated);
                if (why != null) {
                    return why;
                }
            }
            return null;
        }

        private String pattern(PatternDescr pattern, boolean positive, boolean aggregated) {
            String type = simpleName(pattern.getObjectType());
            if (pattern.isQuery() || queries.contains(type) || queries.contains(pattern.getObjectType())) {
                return "it calls the query " + type + ", which is not analysed";
            }
            if (type.equals("Object") || type.equals("Record")) {
                return "a pattern on " + type + " matches candidates of every kind";
            }
            boolean candidate = type.equals("Candidate");
            boolean exclusion = type.equals("Exclusion");
            if (aggregated && (candidate || exclusion)) {
                return "it counts or collects " + type + " facts";
            }
            String why = source(pattern);
            if (why != null) {
                return why;
            }
            if ((candidate || exclusion) && pattern.getDescrs().stream().anyMatch(d -> d instanceof ExprConstraintDescr e
                    && e.getType() == ExprConstraintDescr.Type.POSITIONAL)) {
                return "a positional constraint on " + type + " may name any field";
            }
            List<String> constraints = constraints(pattern);
            Kind kind;
            if (candidate) {
                kind = constraints.stream().anyMatch(c -> STANDALONE_ROLES.contains(c.replaceAll("\\s+", "")))
                        ? Kind.STANDALONE : Kind.GROUPED;
                if (kind == Kind.GROUPED) {
                    for (String constraint : constraints) {
                        why = profileOnly(constraint, Set.of(), false);
                        if (why != null) {
                            return why;
                        }
                    }
                    if (positive) {
                        groupedPositives++;
                        groupedPositive = pattern.getIdentifier();
                    }
                }
            } else if (exclusion) {
                kind = Kind.EXCLUSION;
                boolean ofStandalone = constraints.stream().map(c -> c.replaceAll("\\s+", ""))
                        .anyMatch(c -> c.startsWith(OF_CANDIDATE + "$")
                                && variables.get(c.substring(OF_CANDIDATE.length())) == Kind.STANDALONE);
                if (positive && !ofStandalone) {
                    return "it fires once per exclusion, and exclusions are shared by a profile";
                }
                multiplyingPositive |= positive;
                for (String constraint : constraints) {
                    why = profileOnly(constraint, Set.of("candidate", "reason"), true);
                    if (why != null) {
                        return why;
                    }
                }
            } else {
                kind = Kind.OTHER;
                if (positive && !ONE_PER_REQUEST.contains(type)) {
                    multiplyingPositive = true;
                }
                for (String constraint : constraints) {
                    why = reads(constraint, true);
                    if (why != null) {
                        return why;
                    }
                }
            }
            return bind(pattern, kind, constraints);
        }

        private String source(PatternDescr pattern) {
            Object source = pattern.getSource();
            if (source == null || source instanceof EntryPointDescr) {
                return null;
            }
            if (source instanceof AccumulateDescr accumulate) {
                String why = walk(accumulate.getInput(), false, true);
                for (AccumulateDescr.AccumulateFunctionCallDescr function : accumulate.getFunctions()) {
                    for (String parameter : function.getParams()) {
                        why = why != null ? why : reads(parameter, false);
                    }
                }
                for (String code : new String[] {accumulate.getInitCode(), accumulate.getActionCode(),
                        accumulate.getReverseCode(), accumulate.getResultCode()}) {
                    why = why != null ? why : reads(code, false);
                }
                return why;
            }
            if (source instanceof CollectDescr collect) {
                return walk(collect.getInputPattern(), false, true);
            }
            if (source instanceof FromDescr from) {
                return reads(from.getExpression(), false);
            }
            return "a pattern source " + source.getClass().getSimpleName() + " is not analysed";
        }

        /** Records the pattern's variables; null, or why not when one is not named with a leading {@code $}. */
        private String bind(PatternDescr pattern, Kind kind, List<String> constraints) {
            if (pattern.getIdentifier() != null) {
                if (!pattern.getIdentifier().startsWith("$")) {
                    return "it binds '" + pattern.getIdentifier() + "' without a leading $, which is not analysed";
                }
                variables.put(pattern.getIdentifier(), kind);
            }
            for (String constraint : constraints) {
                Matcher binding = BINDING.matcher(constraint);
                if (binding.matches()) {
                    if (!binding.group(1).startsWith("$")) {
                        return "it binds '" + binding.group(1) + "' without a leading $, which is not analysed";
                    }
                    String field = binding.group(2).trim();
                    // $c : candidate in an Exclusion names a candidate; any other binding holds a value
                    variables.put(binding.group(1), kind == Kind.EXCLUSION && field.equals("candidate") ? Kind.GROUPED : Kind.OTHER);
                }
            }
            return null;
        }

        /**
         * A grouped candidate's (or an exclusion's) constraint: it may read profile fields, the
         * {@code extra} names, types and enum constants, keywords, and variables by the usual rules.
         */
        private String profileOnly(String constraint, Set<String> extra, boolean comparisonsAllowed) {
            String text = STRING.matcher(constraint).replaceAll("\"\"");
            Matcher token = TOKEN.matcher(text);
            while (token.find()) {
                String name = token.group();
                if (name.startsWith("$")) {
                    String why = variableUse(text, token, comparisonsAllowed);
                    if (why != null) {
                        return why;
                    }
                    token.region(skipMembers(text, token.end()), text.length());
                    continue;
                }
                boolean member = token.start() > 0 && text.charAt(token.start() - 1) == '.';
                boolean typeOrConstant = Character.isUpperCase(name.charAt(0))
                        && CandidateProfile.PER_USER_FIELDS.stream().noneMatch(name::equalsIgnoreCase);
                boolean allowed = CandidateProfile.FIELDS.contains(name) || extra.contains(name)
                        || KEYWORDS.contains(name) || typeOrConstant
                        || (member && CandidateProfile.FIELDS.contains(name));
                if (!allowed) {
                    return "it reads '" + name + "', which is not part of a candidate's profile";
                }
            }
            return null;
        }

        /** Any other expression: only how grouped-candidate variables are used matters. */
        private String reads(String expression, boolean comparisonsAllowed) {
            if (expression == null) {
                return null;
            }
            String text = STRING.matcher(expression).replaceAll("\"\"");
            Matcher token = TOKEN.matcher(text);
            while (token.find()) {
                if (token.group().startsWith("$")) {
                    String why = variableUse(text, token, comparisonsAllowed);
                    if (why != null) {
                        return why;
                    }
                }
            }
            return null;
        }

        /**
         * A grouped candidate variable may be read for its profile fields ({@code $c.available}),
         * or compared with {@code ==} where {@code comparisonsAllowed}; an exclusion variable not at all.
         */
        private String variableUse(String text, Matcher token, boolean comparisonsAllowed) {
            Kind kind = variables.getOrDefault(token.group(), Kind.OTHER);
            if (kind == Kind.EXCLUSION) {
                return "it reads the exclusion " + token.group() + ", which is shared by a profile";
            }
            if (kind != Kind.GROUPED) {
                return null;
            }
            Matcher member = MEMBER.matcher(text);
            if (member.find(token.end())) {
                return CandidateProfile.FIELDS.contains(member.group(1)) ? null
                        : "it reads " + token.group() + "." + member.group(1) + ", which is not part of a candidate's profile";
            }
            String before = text.substring(0, token.start()).stripTrailing();
            // == only: "!= $c" would hold for the other users of $c's profile, who are not judged
            if (comparisonsAllowed && before.endsWith("==") && !before.endsWith("!==")) {
                return null;
            }
            return "it hands the candidate " + token.group() + " to an expression that may read anything";
        }

        private static int skipMembers(String text, int from) {
            Matcher members = MEMBERS.matcher(text);
            return members.find(from) ? members.end() : from;
        }

        /** The rule's action: for a positive grouped candidate, only its exclusions. */
        private String consequence(String code) {
            String text = COMMENT.matcher(code).replaceAll(" ");
            if (SESSION.matcher(text).find()) {
                return "its action reaches the session, which is not analysed";
            }
            if (groupedPositives == 1) {
                if (groupedPositive == null) {
                    return text.isBlank() ? null : "it acts once per selected candidate it matches";
                }
                String exclusion = "insert\\s*\\(\\s*new\\s+(?:[\\w.]*\\.)?Exclusion\\s*\\(\\s*"
                        + Pattern.quote(groupedPositive) + "\\s*,\\s*(?:" + STRING.pattern() + ")\\s*\\)\\s*\\)\\s*;";
                String rest = text.replaceAll(exclusion, " ");
                return rest.isBlank() ? null : "its action does more than exclude the candidate it matched";
            }
            String plain = STRING.matcher(text).replaceAll("\"\"");
            Matcher token = TOKEN.matcher(plain);
            while (token.find()) {
                Kind kind = variables.get(token.group());
                if (kind == Kind.EXCLUSION || kind == Kind.GROUPED) {
                    return "its action uses " + token.group() + ", which stands for every user of a profile";
                }
            }
            return null;
        }

        private static List<String> constraints(PatternDescr pattern) {
            return pattern.getDescrs().stream().map(d -> {
                if (d instanceof ExprConstraintDescr expr) {
                    return expr.getExpression();
                }
                if (d instanceof BindingDescr binding) {
                    return binding.getVariable() + " : " + binding.getExpression();
                }
                return d.getText() == null ? d.toString() : d.getText();
            }).toList();
        }

        private static String simpleName(String type) {
            return type == null ? "" : type.substring(type.lastIndexOf('.') + 1);
        }
    }
}
