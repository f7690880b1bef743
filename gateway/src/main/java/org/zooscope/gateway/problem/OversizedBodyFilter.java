package org.zooscope.gateway.problem;

import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A request body that is not an upload (JSON) and says it is larger than the server reads into memory is answered
 * {@code 413} with a problem naming both sizes — after reading and dropping the body, so the client can read the
 * answer (answering while it still sends made clients see a reset connection instead). Beyond
 * {@link #DRAIN_LIMIT} the answer comes at once and the connection closes.
 */
@Component
@Order(-200)
class OversizedBodyFilter implements WebFilter {
    static final long DRAIN_LIMIT = 16L << 20;

    private final long limit;

    OversizedBodyFilter(@Value("${spring.codec.max-in-memory-size:256KB}") DataSize limit) {
        this.limit = limit.toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        long length = request.getHeaders().getContentLength();
        MediaType type = request.getHeaders().getContentType();
        boolean multipart = type != null && type.isCompatibleWith(MediaType.MULTIPART_FORM_DATA);
        if (length <= limit || multipart) {
            return chain.filter(exchange);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.CONTENT_TOO_LARGE);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        String body = "{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":\"the request body is "
                + length + " bytes; this server reads at most " + limit + " bytes of JSON\",\"instance\":\""
                + request.getPath().value().replace("\"", "") + "\"}";
        Mono<Void> answer = response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
        if (length > DRAIN_LIMIT) {
            response.getHeaders().setConnection("close");
            return answer;
        }
        return request.getBody().doOnNext(DataBufferUtils::release).then(answer);
    }
}
