package io.tidings.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Calls a Dev UI JSON-RPC method as the Dev UI's pages do, over its WebSocket. */
public final class DevUi {

    private static final java.util.regex.Pattern ANSWER = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*4711\\b");

    private DevUi() {
    }

    /** The whole JSON-RPC answer to {@code method} (such as {@code quarkus-tidings_outbox}: the extension's namespace, {@code _}, the method), as text. */
    public static String call(int port, String method) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + port + "/q/dev-ui/json-rpc-ws"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            String message = text.toString();
                            text.setLength(0);
                            if (ANSWER.matcher(message).find()) {
                                answer.complete(message);
                            }
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        answer.completeExceptionally(error);
                    }
                }).get(30, TimeUnit.SECONDS);
        try {
            socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":4711,\"method\":\"" + method + "\",\"params\":{}}", true);
            return answer.get(60, TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }
}
