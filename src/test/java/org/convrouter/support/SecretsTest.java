package org.convrouter.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the service prints of a database URL: everything but its secrets. */
class SecretsTest {

    @Test
    void aPasswordInTheUrlsUserInfoIsMasked() {
        assertThat(Secrets.maskUrl("jdbc:postgresql://router:s3cr3t@db.example:5432/router"))
                .isEqualTo("jdbc:postgresql://router:***@db.example:5432/router");
        assertThat(Secrets.maskUrl("postgresql://router:p%40ss:word@db/router?sslmode=require"))
                .isEqualTo("postgresql://router:***@db/router?sslmode=require");
    }

    @Test
    void passwordAndOtherSecretParametersAreMaskedWhateverTheirCaseAndSeparator() {
        assertThat(Secrets.maskUrl("jdbc:postgresql://db:5432/router?user=router&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/router?user=router&password=***&ssl=true");
        assertThat(Secrets.maskUrl("jdbc:postgresql://db/router?PASSWORD=s3cr3t"))
                .isEqualTo("jdbc:postgresql://db/router?PASSWORD=***");
        assertThat(Secrets.maskUrl("jdbc:postgresql://db/router?sslpassword=k3y&user=x"))
                .isEqualTo("jdbc:postgresql://db/router?sslpassword=***&user=x");
        assertThat(Secrets.maskUrl("jdbc:h2:file:/data/router;USER=sa;PASSWORD=s3cr3t;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:/data/router;USER=sa;PASSWORD=***;MODE=PostgreSQL");
        assertThat(Secrets.maskUrl("jdbc:x://db/r?apiToken=abc&client_secret=def"))
                .isEqualTo("jdbc:x://db/r?apiToken=***&client_secret=***");
    }

    @Test
    void aUrlWithoutSecretsIsPrintedAsItIs() {
        String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        assertThat(Secrets.maskUrl(url)).isEqualTo(url);
        assertThat(Secrets.maskUrl("jdbc:postgresql://router@db/router")).isEqualTo("jdbc:postgresql://router@db/router");
        assertThat(Secrets.maskUrl(null)).isNull();
    }
}
