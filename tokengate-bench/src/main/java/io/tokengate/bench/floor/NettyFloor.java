package io.tokengate.bench.floor;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A reverse proxy on Netty's event loops, built as nginx's is: one event loop per core,
 * and each client connection paired with its own keep-alive connection to the upstream on the
 * same loop, so a request and its response never change threads. Messages are aggregated (up to
 * 1 MiB), not streamed: enough for the benchmark's small request and response. What it does with
 * each request besides forwarding is a {@link RequestWork}. A refusal is answered at once, ahead
 * of any earlier request still upstream: fine for clients that do not pipeline (wrk, curl), wrong
 * for one that does, as a product would have to handle.
 */
final class NettyFloor {
    private static final int MAX_MESSAGE = 1 << 20;

    private NettyFloor() {}

    /**
     * How the event loops wait for sockets: Linux's epoll through Netty's native library
     * (edge-triggered, nothing re-armed after a read), or the JDK's selector, which Jetty uses too
     * (level-triggered: the interest in a socket is changed with a system call).
     */
    enum Transport {
        EPOLL(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class),
        NIO(NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);

        final IoHandlerFactory loops;
        final Class<? extends ServerChannel> server;
        final Class<? extends Channel> client;

        Transport(IoHandlerFactory loops, Class<? extends ServerChannel> server, Class<? extends Channel> client) {
            this.loops = loops;
            this.server = server;
            this.client = client;
        }
    }

    static void serve(int port, URI upstream, RequestWork work, Transport transport) throws InterruptedException {
        InetSocketAddress target = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        EventLoopGroup loops =
                new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), transport.loops);
        try {
            new ServerBootstrap()
                    .group(loops)
                    .channel(transport.server)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.AUTO_READ, false) // until the upstream connection is up
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel client) {
                            client.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpServerKeepAliveHandler())
                                    .addLast(new HttpObjectAggregator(MAX_MESSAGE))
                                    .addLast(new ClientSide(target, work, transport));
                        }
                    })
                    .bind("127.0.0.1", port)
                    .sync()
                    .channel()
                    .closeFuture()
                    .sync();
        } finally {
            loops.shutdownGracefully();
        }
    }

    /** One client connection: admits each request and forwards it upstream. */
    private static final class ClientSide extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final InetSocketAddress target;
        private final RequestWork work;
        private final Transport transport;
        /** What {@link RequestWork#admit} returned for each request forwarded and not yet answered. */
        private final Queue<Forwarded> inFlight = new ArrayDeque<>();

        private Channel upstream;

        ClientSide(InetSocketAddress target, RequestWork work, Transport transport) {
            this.target = target;
            this.work = work;
            this.transport = transport;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            new Bootstrap()
                    .group(client.eventLoop())
                    .channel(transport.client)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast(new HttpClientCodec())
                                    .addLast(new HttpObjectAggregator(MAX_MESSAGE))
                                    .addLast(new UpstreamSide(client, work, inFlight));
                        }
                    })
                    .connect(target)
                    .addListener((ChannelFutureListener) connected -> {
                        if (connected.isSuccess()) {
                            upstream = connected.channel();
                            upstream.closeFuture().addListener(closed -> client.close());
                            client.config().setAutoRead(true);
                        } else {
                            client.close();
                        }
                    });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String clientIp = ((InetSocketAddress) ctx.channel().remoteAddress()).getHostString();
            Object admitted = work.admit(
                    request.method().name(),
                    request.uri(),
                    request.headers().get(HttpHeaderNames.AUTHORIZATION),
                    clientIp);
            if (admitted instanceof RequestWork.Refusal refusal) {
                FullHttpResponse refused =
                        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(refusal.status()));
                HttpUtil.setContentLength(refused, 0);
                ctx.writeAndFlush(refused);
                return;
            }
            inFlight.add(new Forwarded(admitted, request.content().readableBytes()));
            request.headers()
                    .remove(HttpHeaderNames.AUTHORIZATION)
                    .set(HttpHeaderNames.HOST, target.getHostString() + ":" + target.getPort())
                    .set(HttpHeaderNames.CONNECTION, "keep-alive")
                    .set("X-Forwarded-For", clientIp);
            upstream.writeAndFlush(request.retain());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (upstream != null) {
                upstream.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private record Forwarded(Object admitted, long bytesIn) {}

    /** The upstream connection of one client connection: relays each response back to it. */
    private static final class UpstreamSide extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Channel client;
        private final RequestWork work;
        private final Queue<Forwarded> inFlight;

        UpstreamSide(Channel client, RequestWork work, Queue<Forwarded> inFlight) {
            this.client = client;
            this.work = work;
            this.inFlight = inFlight;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            response.headers().remove(HttpHeaderNames.SET_COOKIE);
            int status = response.status().code();
            long bytesOut = response.content().readableBytes();
            Forwarded forwarded = inFlight.remove();
            client.writeAndFlush(response.retain())
                    .addListener(written -> work.complete(forwarded.admitted(), status, forwarded.bytesIn(), bytesOut));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
