package io.scimitar.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client connection written byte for byte, so a test controls the request-target, repeated
 * headers and the framing exactly (java.net.http normalizes paths and merges headers). Reads
 * responses framed by Content-Length or chunked, and interim 1xx responses one at a time.
 */
public final class RawClient implements AutoCloseable {

    /** A response; header names are lower-case, a repeated header keeps its last value. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A GET of {@code target} with {@code Host} and the given header lines (each without CRLF). */
    public static String get(String target, List<String> headers) {
        return request("GET", target, headers);
    }

    public static String request(String method, String target, List<String> headers) {
        var request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: app.test\r\n");
        headers.forEach(h -> request.append(h).append("\r\n"));
        return request.append("\r\n").toString();
    }

    /** Writes {@code request} (ISO-8859-1, one char per octet) and reads the final response, skipping interim ones. */
    public Response exchange(String request) throws IOException {
        send(request);
        Response response;
        do {
            response = read(request.startsWith("HEAD "));
        } while (response.status() >= 100 && response.status() < 200);
        return response;
    }

    public void send(String bytes) throws IOException {
        send(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response, interim or final, to a request other than HEAD. */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response, interim or final; the response to a HEAD has no body whatever its headers say. */
    public Response read(boolean toHead) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        var headers = new TreeMap<String, String>();
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        if (toHead || status < 200 || status == 204 || status == 304) {
            return new Response(status, headers, new byte[0]);
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return new Response(status, headers, chunks());
        }
        String length = headers.get("content-length");
        if (length == null) {
            throw new IOException("a response without Content-Length or chunked framing: " + statusLine);
        }
        byte[] body = in.readNBytes(Integer.parseInt(length));
        if (body.length < Integer.parseInt(length)) {
            throw new IOException("connection closed inside the body");
        }
        return new Response(status, headers, body);
    }

    private byte[] chunks() throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            if (size == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                String trailer;
                do {
                    trailer = line(); // trailers, up to the empty line
                } while (trailer != null && !trailer.isEmpty());
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(length);
            if (chunk.length < length) {
                throw new IOException("connection closed inside a chunk");
            }
            body.write(chunk);
            line();
        }
    }

    /** True once the server has closed the connection (end of stream or reset), waiting at most 10 s. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        }
    }

    private String line() throws IOException {
        var buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = buffer.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buffer.write(b);
        }
        return buffer.size() == 0 ? null : buffer.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
