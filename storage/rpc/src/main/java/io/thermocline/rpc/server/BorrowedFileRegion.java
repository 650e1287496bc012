package io.thermocline.rpc.server;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file region over a channel it does not own: Netty's DefaultFileRegion closes its channel
 * when released, which would close a live log segment. Sent with transferTo, so the bytes go
 * from the page cache to the socket without passing through the heap.
 */
final class BorrowedFileRegion extends AbstractReferenceCounted implements FileRegion {
    private final FileChannel channel;
    private final long position;
    private final long count;
    private long transferred;

    BorrowedFileRegion(FileChannel channel, long position, long count) {
        this.channel = channel;
        this.position = position;
        this.count = count;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long transferTo(WritableByteChannel target, long alreadyTransferred) throws IOException {
        long remaining = count - alreadyTransferred;
        if (remaining <= 0) {
            return 0;
        }
        long written = channel.transferTo(position + alreadyTransferred, remaining, target);
        if (written > 0) {
            transferred += written;
        }
        return written;
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        // borrowed: the owner of the channel closes it
    }
}
