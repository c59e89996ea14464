package dev.recsys.local.stack;

/** The AWS services the offline stack can stand in for. */
public enum Service {
    /** kinesis-mock (npm {@code kinesis-local}), a Node child process. */
    KINESIS,
    /** dynalite (npm), a Node child process. */
    DYNAMODB,
    /** S3Proxy, embedded in this JVM. */
    S3,
    /** redis-server, a child process (stands in for ElastiCache). */
    REDIS
}
