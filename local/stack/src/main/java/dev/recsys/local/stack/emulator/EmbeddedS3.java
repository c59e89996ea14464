package dev.recsys.local.stack.emulator;

import dev.recsys.local.stack.process.LocalStackException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/** S3Proxy inside this JVM on 127.0.0.1, with an in-memory or filesystem blob store. */
public final class EmbeddedS3 implements Emulator {

    private final S3Proxy proxy;

    private EmbeddedS3(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /** @param accessKey the one key pair the emulator accepts (the stack's, from {@code Endpoints}) */
    public static EmbeddedS3 start(Layout layout, String accessKey, String secretKey) {
        try {
            BlobStore store;
            if (layout.persistent()) {
                Properties props = new Properties();
                props.setProperty("jclouds.filesystem.basedir",
                        Files.createDirectories(layout.data("s3")).toString());
                store = BlobStores.create("filesystem", props);
            } else {
                store = BlobStores.create("transient", new Properties());
            }
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    // The SDK's multipart uploads send headers S3Proxy does not know (x-amz-mp-object-size).
                    .ignoreUnknownHeaders(true)
                    .build();
            proxy.start();
            return new EmbeddedS3(proxy);
        } catch (Exception e) {
            throw new LocalStackException("cannot start embedded S3Proxy: " + e, e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public List<Long> pids() {
        return List.of();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new LocalStackException("cannot stop embedded S3Proxy: " + e, e);
        }
    }
}
