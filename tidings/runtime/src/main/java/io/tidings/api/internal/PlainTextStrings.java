package io.tidings.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Reads the JSON bodies of Tidings' own requests (its request types live in {@code io.tidings}),
 * refusing strings that carry control characters other than tab, line feed and carriage return.
 * PostgreSQL cannot store NUL in text or jsonb, so without this a NUL in a name was a 500; with it,
 * it is a 400 naming the field, as any other malformed value. The application's ObjectMapper is
 * copied, never changed: a host application reads its own bodies as it always did.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class PlainTextStrings implements MessageBodyReader<Object> {

    private final ObjectMapper mapper;

    @Inject
    public PlainTextStrings(ObjectMapper applicationMapper) {
        this.mapper = applicationMapper.copy()
                .registerModule(new SimpleModule("tidings-plain-text").addDeserializer(String.class, new Refusing()));
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.getName().startsWith("io.tidings.") && !type.isAnnotation();
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        PushbackInputStream input = new PushbackInputStream(body);
        int first = input.read();
        if (first < 0) {
            return null; // no body, as Quarkus' own reader has it: the endpoint decides whether it needs one
        }
        input.unread(first);
        return mapper.readerFor(mapper.constructType(genericType)).readValue(input);
    }

    static boolean isPlainText(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** A string with a control character; the message completes "The field 'x' ...". */
    public static final class ControlCharacter extends JsonMappingException {
        ControlCharacter(JsonParser parser) {
            super(parser, "must not contain control characters");
        }
    }

    private static final class Refusing extends StringDeserializer {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = super.deserialize(parser, context);
            if (value != null && !isPlainText(value)) {
                throw new ControlCharacter(parser);
            }
            return value;
        }
    }
}
