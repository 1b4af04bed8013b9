package org.convrouter.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.convrouter.Policy;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSetCompiler;

/** The shipped policy with one more rule file, for tests of the engine. */
final class ExtraRules {

    static final String HEADER = """
            package policy;
            import org.convrouter.routing.*;
            import org.convrouter.directory.*;
            """;

    /** The rules guide's worked example 2. */
    static final String ESCALATIONS = """
            rule "Users on the Escalations team are never auto-assigned chats"
                salience 100
            when
                Channel( kind == ChannelKind.CHAT )
                $c : Candidate( memberOf( "escalations" ) )
            then
                insert( new Exclusion( $c, "on the Escalations team" ) );
            end
            """;

    private ExtraRules() {}

    /** The shipped files plus {@code rules} (rule text without package or imports) in extra.drl. */
    static List<RuleFile> withRules(String rules) {
        List<RuleFile> files = new ArrayList<>(RuleSetCompiler.read(Policy.RULES));
        files.add(RuleFile.of("extra.drl", (HEADER + rules).getBytes(StandardCharsets.UTF_8)));
        return files;
    }
}
