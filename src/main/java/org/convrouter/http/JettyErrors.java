package org.convrouter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.util.List;
import org.convrouter.support.Json;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty refuses some requests before Javalin sees them: a request line too long (414), headers too
 * large (431), a path Jetty will not map (an encoded NUL or an ambiguous segment, 400). Its own
 * answer is an HTML page; this one is the documented error shape, like every other error.
 */
final class JettyErrors extends ErrorHandler {

    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON_UTF_8.asString());

    /** Jetty writes an error body only for GET, POST and HEAD by default; a refused PUT, PATCH or DELETE gets one too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    /** For requests refused while parsing, before there is a request to answer. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int status, String reason) {
        String message = switch (status) {
            case 400 -> "request: " + (reason == null || reason.isBlank() || reason.equals("Bad Request")
                    ? "not one this server accepts (for example an encoded NUL or an ambiguous segment in the path)" : reason);
            case 414 -> "request: the URI is too long";
            case 431 -> "request: the headers are too large";
            default -> reason == null || reason.isBlank() ? "HTTP " + status : reason;
        };
        try {
            return Json.mapper().writeValueAsBytes(ErrorMapper.body(ErrorMapper.codeFor(status), message, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
