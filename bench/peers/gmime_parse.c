// SPDX-License-Identifier: Apache-2.0
// Peer of bench/mime_parse.cpp: the same work with GMime 3 (Debian libgmime-3.0-dev), single thread.
// Every file is read into memory first; each message is then parsed from a memory stream that
// borrows the bytes (no copy, persistent stream: GMime's fastest mode, where part contents stay
// substreams of the input), its common headers decoded (subject, From, To, Cc, Date,
// Message-ID), every part walked, message/rfc822 parts recursively, and every leaf decoded to
// bytes in a fresh memory stream. Prints the same lines as the mss harness.
//
//   cc -O2 gmime_parse.c $(pkg-config --cflags --libs gmime-3.0) -o gmime_parse
//   gmime_parse DIR [runs=3]
#include <gmime/gmime.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct
{
    char* data;
    size_t size;
} buffer;

typedef struct
{
    size_t entities;
    size_t decoded;
    size_t checksum;
} totals;

static int compare_names(const void* a, const void* b)
{
    return strcmp(*(char* const*)a, *(char* const*)b);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t address_count(InternetAddressList* list)
{
    size_t n = 0;
    if (list == NULL)
        return 0;
    for (int i = 0; i < internet_address_list_length(list); i++)
    {
        InternetAddress* a = internet_address_list_get_address(list, i);
        const char* name = internet_address_get_name(a);
        n += 1 + (name ? strlen(name) % 3 : 0);
    }
    return n;
}

static void walk_object(GMimeObject* object, totals* t);

static void walk_message(GMimeMessage* message, totals* t)
{
    const char* subject = g_mime_message_get_subject(message);
    t->checksum += subject ? strlen(subject) : 0;
    t->checksum += address_count(g_mime_message_get_from(message));
    t->checksum += address_count(g_mime_message_get_to(message));
    t->checksum += address_count(g_mime_message_get_cc(message));
    const char* id = g_mime_message_get_message_id(message);
    t->checksum += id ? strlen(id) : 0;
    GDateTime* date = g_mime_message_get_date(message);
    t->checksum += date ? 1 : 0;
    GMimeObject* body = g_mime_message_get_mime_part(message);
    if (body != NULL)
        walk_object(body, t);
}

static void walk_object(GMimeObject* object, totals* t)
{
    t->entities++;
    if (GMIME_IS_MULTIPART(object))
    {
        GMimeMultipart* multipart = GMIME_MULTIPART(object);
        const int count = g_mime_multipart_get_count(multipart);
        for (int i = 0; i < count; i++) walk_object(g_mime_multipart_get_part(multipart, i), t);
    }
    else if (GMIME_IS_MESSAGE_PART(object))
    {
        GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
        if (inner != NULL)
            walk_message(inner, t);
    }
    else if (GMIME_IS_PART(object))
    {
        GMimePart* part = GMIME_PART(object);
        GMimeDataWrapper* content = g_mime_part_get_content(part);
        const char* file_name = g_mime_part_get_filename(part);
        t->checksum += file_name ? strlen(file_name) : 0;
        if (content != NULL)
        {
            GMimeStream* out = g_mime_stream_mem_new();
            g_mime_data_wrapper_write_to_stream(content, out);
            GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
            t->decoded += bytes->len;
            t->checksum += bytes->len ? bytes->data[bytes->len - 1] : 0;
            g_object_unref(out);
        }
    }
}

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        fprintf(stderr, "usage: %s DIR [runs=3]\n", argv[0]);
        return 2;
    }
    const int runs = argc > 2 ? atoi(argv[2]) : 3;
    g_mime_init();

    DIR* dir = opendir(argv[1]);
    if (dir == NULL)
    {
        fprintf(stderr, "cannot open %s\n", argv[1]);
        return 1;
    }
    size_t capacity = 4096, count = 0;
    char** names = malloc(capacity * sizeof *names);
    struct dirent* entry;
    while ((entry = readdir(dir)) != NULL)
    {
        const size_t len = strlen(entry->d_name);
        if (len < 4 || strcmp(entry->d_name + len - 4, ".eml") != 0)
            continue;
        if (count == capacity)
            names = realloc(names, (capacity *= 2) * sizeof *names);
        names[count++] = strdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare_names);

    buffer* corpus = calloc(count, sizeof *corpus);
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
    {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        FILE* f = fopen(path, "rb");
        if (f == NULL)
            return 1;
        fseek(f, 0, SEEK_END);
        const long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        corpus[i].data = malloc((size_t)size);
        corpus[i].size = fread(corpus[i].data, 1, (size_t)size, f);
        fclose(f);
        total += corpus[i].size;
    }
    printf("files=%zu bytes=%zu\n", count, total);

    double best = 1e300;
    totals t;
    for (int run = 0; run < runs; run++)
    {
        memset(&t, 0, sizeof t);
        const double start = now();
        for (size_t i = 0; i < count; i++)
        {
            // Borrow the bytes: a GByteArray over them, not owned by the stream.
            GByteArray* array = g_byte_array_new_take((guint8*)corpus[i].data, corpus[i].size);
            GMimeStream* stream = g_mime_stream_mem_new_with_byte_array(array);
            g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
            GMimeParser* parser = g_mime_parser_new_with_stream(stream);
            g_mime_parser_set_persist_stream(parser, TRUE);
            GMimeMessage* message = g_mime_parser_construct_message(parser, NULL);
            if (message == NULL)
            {
                fprintf(stderr, "parse failed: %s\n", names[i]);
                return 1;
            }
            walk_message(message, &t);
            g_object_unref(message);
            g_object_unref(parser);
            g_object_unref(stream);
            // Take the bytes back without freeing them.
            corpus[i].data = (char*)g_byte_array_steal(array, NULL);
            g_byte_array_unref(array);
        }
        const double seconds = now() - start;
        if (seconds < best)
            best = seconds;
    }
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("entities=%zu decoded_bytes=%zu checksum=%zu\n", t.entities, t.decoded, t.checksum);
    printf("mb_per_s=%.1f\n", (double)total / 1e6 / best);
    printf("peak_rss_mb=%.1f rss_ratio=%.3f\n", (double)usage.ru_maxrss / 1024.0,
           (double)usage.ru_maxrss * 1024.0 / (double)total);
    return 0;
}
