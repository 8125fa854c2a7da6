package io.tidings.secrets.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for storage with AES-256-GCM under the first of its keys, and opens what any of its
 * keys sealed. A sealed value reads {@code v1:<key id>:<base64 of nonce and ciphertext>}; the key id
 * (the first four bytes of the key's SHA-256) says which key opens it, so keys can be rotated: the
 * old key stays in the ring until every value has been sealed again under the new one.
 */
public final class SecretBox {

    static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    /** @param keys 32-byte AES keys, the current one first */
    public SecretBox(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a secret box needs a key");
        }
        for (byte[] key : keys) {
            if (key.length != 32) {
                throw new IllegalArgumentException("a secrets key is 32 bytes (base64 of them: openssl rand -base64 32), not " + key.length);
            }
            this.keys.putIfAbsent(idOf(key), new SecretKeySpec(key, "AES"));
        }
        this.currentId = idOf(keys.get(0));
    }

    public String seal(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(currentId.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return VERSION + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** @throws IllegalArgumentException when the value is not sealed, was sealed under a key not in this box, or was altered */
    public String open(String sealed) {
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !sealed.startsWith(VERSION)) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalArgumentException("sealed under key " + parts[1] + ", which is neither tidings.secrets.key "
                    + "nor one of tidings.secrets.previous-keys");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(parts[1].getBytes(StandardCharsets.US_ASCII));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("a sealed secret did not open: it was altered or is not one", e);
        }
    }

    /** Whether the value is sealed under the current key, as opposed to plaintext or an older key. */
    public boolean isCurrent(String value) {
        return value.startsWith(currentPrefix());
    }

    /** What every value sealed under the current key starts with. */
    public String currentPrefix() {
        return VERSION + currentId + ":";
    }

    static String idOf(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
