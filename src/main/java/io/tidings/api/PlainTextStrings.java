package io.tidings.api;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Refuses JSON strings that carry control characters other than tab, line feed and carriage
 * return. PostgreSQL cannot store NUL in text or jsonb, so without this a NUL in a name was a 500;
 * with it, it is a 400 naming the field, as any other malformed value.
 */
@Singleton
public class PlainTextStrings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("tidings-plain-text").addDeserializer(String.class, new Refusing()));
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
