package io.osiris.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's store: one file per cluster, {@code NAME.cluster}, AES-256-GCM with a random nonce and the
 * cluster's name as associated data (a file renamed to another cluster does not decrypt). The key is a file of its
 * own, made on first use and readable by the owner only.
 */
class EncryptedFileClusterStore implements ClusterStore {

    private static final Logger LOG = LoggerFactory.getLogger(EncryptedFileClusterStore.class);
    private static final String SUFFIX = ".cluster";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path directory;
    private final Path keyFile;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();
    private SecretKeySpec key;

    EncryptedFileClusterStore(Path directory, Path keyFile, ObjectMapper json) {
        this.directory = directory;
        this.keyFile = keyFile;
        this.json = json;
    }

    @Override
    public synchronized List<ClusterRegistration> load() {
        List<ClusterRegistration> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                String name = file.getFileName().toString();
                name = name.substring(0, name.length() - SUFFIX.length());
                try {
                    found.add(json.readValue(decrypt(Files.readAllBytes(file), name), StoredRegistration.class)
                            .registration());
                } catch (IOException | GeneralSecurityException e) {
                    LOG.error("Cluster registration {} cannot be read (wrong key or damaged): {}", file,
                            e.getClass().getSimpleName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    @Override
    public synchronized void save(ClusterRegistration registration) {
        try {
            Files.createDirectories(directory);
            byte[] plain = json.writeValueAsBytes(StoredRegistration.of(registration));
            Path file = directory.resolve(registration.name() + SUFFIX);
            Path temporary = Files.createTempFile(directory, registration.name(), ".tmp");
            Files.write(temporary, encrypt(plain, registration.name()));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void delete(String name) {
        try {
            Files.deleteIfExists(directory.resolve(name + SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] encrypt(byte[] plain, String name) throws GeneralSecurityException, IOException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plain);
        return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    }

    private byte[] decrypt(byte[] stored, String name) throws GeneralSecurityException, IOException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
        cipher.updateAAD(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
    }

    private SecretKeySpec key() throws IOException {
        if (key == null) {
            if (!Files.exists(keyFile)) {
                byte[] fresh = new byte[32];
                random.nextBytes(fresh);
                Files.createDirectories(keyFile.toAbsolutePath().getParent());
                Files.createFile(keyFile);
                try {
                    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the folder's own protection is all there is
                }
                Files.write(keyFile, fresh);
                LOG.info("Made the key of the cluster registrations: {}", keyFile);
            }
            byte[] bytes = Files.readAllBytes(keyFile);
            if (bytes.length != 32) {
                throw new IOException("the key file " + keyFile + " must hold 32 bytes");
            }
            key = new SecretKeySpec(bytes, "AES");
        }
        return key;
    }
}
