package io.tokengate.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.servlet.Filter;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An embedded Tomcat 9 set up as Jira Data Center sets up its own, answering every request under
 * {@code /rest/*} with what Tomcat read from it: the upstream of {@link TomcatDifferentialIT}.
 *
 * <p>The connector has the attributes of the HTTP connector in Jira's {@code conf/server.xml}:
 * {@code relaxedPathChars="[]|"}, {@code relaxedQueryChars="[]|{}^\`"<>"}, {@code
 * maxHttpHeaderSize="8192"}, {@code useBodyEncodingForURI="true"}, {@code enableLookups="false"},
 * URIs in UTF-8 (Tomcat's default), and {@code maxParameterCount} at 1000, as current Tomcat
 * releases have it. The web application maps REST as Jira's {@code web.xml} does
 * ({@code /rest/*}) behind a filter that, like Jira's {@code JiraEncodingFilter} (first in its
 * chain), sets the request encoding to UTF-8 before anything reads a parameter: with {@code
 * useBodyEncodingForURI} that encoding decodes the query as well as a form body.
 */
final class TomcatEcho implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Tomcat read from one request; {@code parameters} are the query's and a form body's. */
    record Seen(
            String method,
            String requestUri,
            String queryString,
            String servletPath,
            String pathInfo,
            String contentType,
            Map<String, List<String>> parameters) {

        /** The decoded path within the context, as Tomcat maps it: servlet path and path info. */
        String decodedPath() {
            return servletPath + (pathInfo == null ? "" : pathInfo);
        }
    }

    private final Tomcat tomcat;
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

    private TomcatEcho(Tomcat tomcat) {
        this.tomcat = tomcat;
    }

    static TomcatEcho start(Path baseDir) throws LifecycleException {
        return start(baseDir, true);
    }

    /**
     * @param jiraEncoding whether the web application sets the request encoding to UTF-8 first, as
     *     Jira's does; without it, Tomcat decodes the query in the charset the Content-Type names
     */
    static TomcatEcho start(Path baseDir, boolean jiraEncoding) throws LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("relaxedPathChars", "[]|");
        connector.setProperty("relaxedQueryChars", "[]|{}^\\`\"<>");
        connector.setProperty("maxHttpHeaderSize", "8192");
        connector.setURIEncoding("UTF-8");
        connector.setUseBodyEncodingForURI(true);
        connector.setEnableLookups(false);
        // The default of current Tomcat releases (11.0.27: 1000); 9.0.98's is 10000, more than a
        // request line of maxHttpHeaderSize can carry.
        connector.setMaxParameterCount(1000);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);

        TomcatEcho echo = new TomcatEcho(tomcat);
        Context context = tomcat.addContext("", baseDir.toString());
        if (jiraEncoding) {
            addUtf8Filter(context);
        }
        Tomcat.addServlet(context, "rest", echo.new Servlet());
        context.addServletMappingDecoded("/rest/*", "rest");
        tomcat.start();
        return echo;
    }

    private static void addUtf8Filter(Context context) {
        FilterDef encoding = new FilterDef();
        encoding.setFilterName("encoding");
        encoding.setFilter((Filter) (request, response, chain) -> {
            request.setCharacterEncoding("UTF-8");
            chain.doFilter(request, response);
        });
        context.addFilterDef(encoding);
        FilterMap everything = new FilterMap();
        everything.setFilterName("encoding");
        everything.addURLPatternDecoded("/*");
        context.addFilterMap(everything);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
    }

    /** Everything Tomcat's servlet was handed since the last call, oldest first. */
    List<Seen> drain() {
        List<Seen> drained = new ArrayList<>();
        for (Seen s; (s = seen.poll()) != null; ) {
            drained.add(s);
        }
        return drained;
    }

    static Seen parse(String body) throws IOException {
        return JSON.readValue(body, Seen.class);
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }

    private final class Servlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            request.getParameterMap().forEach((name, values) -> parameters.put(name, Arrays.asList(values)));
            Seen what = new Seen(
                    request.getMethod(),
                    request.getRequestURI(),
                    request.getQueryString(),
                    request.getServletPath(),
                    request.getPathInfo(),
                    request.getContentType(),
                    parameters);
            seen.add(what);
            byte[] body = JSON.writeValueAsBytes(what);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
