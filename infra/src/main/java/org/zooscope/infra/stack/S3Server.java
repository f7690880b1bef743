package org.zooscope.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.zooscope.infra.process.ManagedProcess;

/** An S3-compatible server: s3proxy with a filesystem backend, path-style, checking AWS v2/v4 signatures. */
public final class S3Server implements Server {
    private final StackSettings s;
    private final ManagedProcess process;

    public S3Server(StackSettings settings) {
        this.s = settings;
        this.process = new ManagedProcess("s3", settings.runDir(), settings.logDir());
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public ManagedProcess process() {
        return process;
    }

    @Override
    public String endpoint() {
        return s.s3Endpoint() + " (bucket " + s.bucket() + ", credentials in var/s3-credentials)";
    }

    @Override
    public void start() {
        if (process.isAlive()) {
            return;
        }
        try {
            Path dir = s.stateDir().resolve("s3");
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            Path conf = dir.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + s.s3Port(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + s.s3AccessKey(),
                    "s3proxy.credential=" + s.s3SecretKey(),
                    "s3proxy.cors-allow-all=true",
                    "jclouds.provider=filesystem",
                    "jclouds.identity=unused",
                    "jclouds.credential=unused",
                    "jclouds.filesystem.basedir=" + data,
                    ""));
            process.start(List.of(KafkaServer.java(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                    s.distDir().resolve("s3proxy.jar").toString(), "--properties", conf.toString()), Map.of(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isReady() {
        return process.isAlive() && Probes.httpStatus(s.s3Endpoint() + "/") > 0;
    }
}
