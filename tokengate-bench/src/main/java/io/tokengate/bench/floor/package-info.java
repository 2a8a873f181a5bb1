/**
 * Reference proxies for {@code bench/floor.sh}: the least a reverse proxy costs on Jetty, arranged
 * as tokengate's data plane is, and on Netty's event loops, each doing only a Basic credential
 * comparison and the forwarding. They measure the floor a stack sets under tokengate's own work;
 * they are never part of the product and check nothing a gateway must.
 */
package io.tokengate.bench.floor;
